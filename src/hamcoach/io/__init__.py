"""Pose sources: video, image folders, webcams, and keypoint files made by other tools.

Every source ends as a :class:`hamcoach.track.PoseTrack`.
"""
